import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** Validates a SARIF document against the OASIS 2.1.0 schema kept as a fixture (draft-04). */
export function sarifValidator(): (doc: unknown) => string[] {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
