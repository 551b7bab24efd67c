"""Tables from files people bring: CSV as Excel and other systems save it, and XLSX; the
cells' texts parsed into values; and the generic import engine the areas build on."""
