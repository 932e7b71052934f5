"""`python -m dondoc`, and the `dondoc` command itself (pyproject.toml [project.scripts])."""

import gc


def start() -> None:
    """The command, its modules loaded with the collector off and then set aside for good.

    Importing the command makes some 300,000 objects that live for the whole run (modules,
    classes, pydantic's validators, compiled expressions); with the collector on, each full
    collection while they load walks all of them again. Off while they load, then frozen
    (gc.freeze: never walked again, as night/workers.py does before its workers start), a
    one-plan check starts in about 0.84 of the time (docs/engine.md, "One plan from a cold start").
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
