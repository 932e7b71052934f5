"""`python -m dondoc`: the same as the `dondoc` command."""

from dondoc.cli import main

if __name__ == "__main__":
    main(prog_name="dondoc")
