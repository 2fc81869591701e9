/**
 * The CDK app that cdk.json runs (`npx tsx infra/cdk/app.ts`). Offline by construction: no
 * lookups, no Docker (esbuild bundles locally), and the stack is environment-agnostic, so account
 * and region are resolved by CloudFormation at deploy time. cdk-nag runs on every synth: a
 * finding fails `npm run synth` and `npm run deploy` alike.
 */
import { createFristflowApp } from "./fristflow-app.ts";

createFristflowApp().app.synth();
