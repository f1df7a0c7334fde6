"""Odoo-free helpers of tech_service_quality (plain Python, standard library only)."""
