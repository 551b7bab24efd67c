"""Packaging that pyproject.toml cannot declare: the top-level resources/ folder (icons,
translation catalogs) becomes the package ``funneldesk.resources``, so that a wheel
carries it. Everything else about the build is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

# Each folder under resources/ is listed as a (namespace) package of its own, as
# setuptools asks for data folders; package_dir maps all of them through their parent.
RESOURCES = ["funneldesk.resources",
             *(f"funneldesk.resources.{name}" for name in find_namespace_packages(where="resources"))]

setup(
    packages=[*find_namespace_packages(include=["funneldesk", "funneldesk.*"]), *RESOURCES],
    package_dir={"funneldesk.resources": "resources"},
)
