"""Work that runs on a schedule, not in answer to a request: the weekly digest."""
