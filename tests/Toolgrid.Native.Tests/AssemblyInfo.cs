// Tests give files to other users and chown them: one at a time is enough for this small set.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
