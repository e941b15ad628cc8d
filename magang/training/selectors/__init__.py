"""Reads for training, one module per area; each starts from the user's scope
(``magang.training.access``)."""
