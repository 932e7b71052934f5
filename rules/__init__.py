"""The shipped rules, as data (YAML). Nothing here is Python: this file only makes the folder
package data (importlib.resources)."""
