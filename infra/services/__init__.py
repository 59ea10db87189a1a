"""One module per locally started service; infra.stack composes them."""
