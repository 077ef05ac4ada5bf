"""Benchmarks for Support Desk: a data generator for PostgreSQL, bare-SQL "limit" views and a
load runner (wrk) that reports latency, throughput and server memory. See bench/README.md."""
