"""Flows about people that span domains: an admin changing or deactivating an account (their
tickets go back to the queue), and a person's own data (export, deletion). Built on the domains'
services and selectors; no domain imports this package."""
