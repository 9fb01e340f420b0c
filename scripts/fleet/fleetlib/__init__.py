"""Simulated outlet fleet for Outlet Backup Monitor: Samba instances, a latency
proxy/tarpit and a black hole on loopback addresses, plus the manifest that says
what a correct monitor must report for every outlet (see ../README.md)."""
