"""Live class games: the projector asks, the phones answer, missed questions come back in study."""
