"""What a run tells its user: text, JSON, SARIF and JUnit renderings of an Evaluation, with the
details every format shares (fingerprints, source lines, baselines). Schemas live in schemas/."""
