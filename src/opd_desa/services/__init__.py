"""The operations of opd-desa: plain values in, plain values (dataclasses, dicts) out, typed errors."""
