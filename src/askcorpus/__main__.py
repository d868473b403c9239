"""`python -m askcorpus` runs the command-line interface."""

import sys

from askcorpus.cli import main

sys.exit(main())
