"""`python -m dondoc`, and the `dondoc` command itself (pyproject.toml [project.scripts])."""

import gc


def start() -> None:
    """The command, its modules loaded with the collector off and then set aside for good.

    Importing the command leaves some 64,000 objects the collector tracks, nearly all of them
    for the whole run (modules, classes, pydantic's validators), and makes many more on the
    way; with the collector on, the collections while they load walk them again and again.
    Off while they load, then frozen (gc.freeze: never walked again, as night/workers.py does
    before its workers start), a one-plan check starts in 0.84 of the time (docs/engine.md,
    "A fourth pass: the start").
    """
    gc.disable()
    try:
        from dondoc.cli import main
    finally:
        gc.freeze()
        gc.enable()
    main(prog_name="dondoc")


if __name__ == "__main__":
    start()
