// Dropout draws from libtorch's one global generator, which tests running side by side would share (and reseed).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
