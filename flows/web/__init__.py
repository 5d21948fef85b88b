"""`skillscout serve`: the local web app (flows/web/app.py)."""
