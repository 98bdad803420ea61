// TorchSharp uses both cores and notebook runs are whole processes: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
