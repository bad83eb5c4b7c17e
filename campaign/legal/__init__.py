"""The legal catalogue: bodies, instruments, provisions and states' participation, as data."""
