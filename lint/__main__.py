"""The ``contentlint`` command's entry point (also ``python -m lint``).

The cyclic garbage collector is off while the command's modules load: importing them
creates tens of thousands of objects that all live until the end, and collecting among
them costs a one-file run about a tenth of its time. Once loaded they are frozen
(``gc.freeze``: never scanned again, and not copied by forked workers) and collection
resumes for what the run itself creates.
"""

import gc


def run() -> None:
    gc.disable()
    try:
        from lint.cli import main
    finally:
        gc.freeze()
        gc.enable()
    main()


if __name__ == "__main__":
    run()
