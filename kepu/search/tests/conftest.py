from kepu.library.tests.conftest import committed, search_dir  # noqa: F401  (fixtures)
