"""Writes to the registry: people, children, placements, carers, removals, merges."""
