process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
delete process.env.AWS_PROFILE;
delete process.env.AWS_ENDPOINT_URL;
delete process.env.AWS_ENDPOINT_URL_NEPTUNE_GRAPH;
// CloudFormation's schema validation of every synthesized template (about 3 s per test file) runs in
// test/lib/cloudformation-validation.test.ts, which turns it back on; elsewhere it would only repeat it.
process.env.CDK_VALIDATION = 'false';
