"""The organisers' forms, one module for each workspace module that has forms."""
