/** The workflow bundle the global setup built for this test run (see workflow-bundle-setup.ts). */
import type { WorkflowBundleOption } from '@temporalio/worker';

export function testWorkflowBundle(): WorkflowBundleOption {
  const codePath = process.env.DESKFLOW_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('DESKFLOW_WORKFLOW_BUNDLE is not set: run the tests through jest (globalSetup)');
  return { codePath };
}
