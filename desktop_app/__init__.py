"""党群服务中心工作台 — desktop workbench for community party-mass service centers."""

__version__ = "0.1.0"
APP_NAME = "党群服务中心工作台"
APP_ID = "dangqun"
