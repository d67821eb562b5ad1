"""One module per command; each is a plain function that cli.py registers with typer."""
