// The pause program of the real node's pod sandboxes (env/images/pause): built here from this
// repository, since no registry that serves a pause image can be reached.
module slo-harness/tools/pause

go 1.24.0
