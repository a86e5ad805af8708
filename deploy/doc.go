// Package deploy holds no code. Its folder holds the deployment files (Dockerfile,
// Prometheus configuration and alert rules, Grafana provisioning and dashboards,
// ClickHouse analyst views and queries), and its tests check them: compose.yaml with
// docker-compose, the rules with promtool, every metric they name against the live
// /metrics of the API and ingest, and the SQL against a real ClickHouse.
package deploy
