"""`python -m askcorpus` runs the command-line interface."""

import sys

from askcorpus.interfaces.cli import main

sys.exit(main())
