"""Pure text functions: German sentence boundaries, lexical analysis (stems, stopwords, compound parts) and the
cleaner that strips site boilerplate while keeping offsets into the raw file.

May import only the standard library, PyStemmer, `askcorpus.config` and `askcorpus.errors`: no I/O, no model,
no store; everything here is testable in milliseconds.
"""
