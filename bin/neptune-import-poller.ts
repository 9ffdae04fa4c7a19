#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NeptuneImportPollerStack } from './neptune-import-poller-stack';

const app = new App();
new NeptuneImportPollerStack(app, 'NeptuneImportPoller', {
  description: 'Watches Amazon Neptune Analytics import tasks and puts one EventBridge event when each ends',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
