"""Where the preview's resources come from: a Pulumi program run under a mock engine that answers
as the real engine would (transforms, provider checks, computed outputs, invokes, source positions),
or a `pulumi stack export` of a deployed stack. Both give ResourceRecords (model.py)."""
