"""Analyses built on the core: what-if, why and why-not, step-through, re-assessment, consensus, options."""
