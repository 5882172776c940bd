"""The innovation carriers and their tenants (创新载体) registry."""
