// Checks the shipped Grafana dashboard against the types Grafana's schema generates
// (dashboards/dashboards.test.ts runs it).
module slo-harness/tools/grafana-dashboard-check

go 1.24.0

require github.com/grafana/grafana-foundation-sdk/go v0.0.22
