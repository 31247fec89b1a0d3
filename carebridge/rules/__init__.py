"""Pure statutory and data-standard logic: no Django import anywhere in this package.

Every figure and code list lives in exactly one module here, with its source cited beside it,
so it can be tested exhaustively, reused from the CLI, and corrected by a council in one place.
"""
