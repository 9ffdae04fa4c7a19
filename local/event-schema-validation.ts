/** Validates event details against the schemas the package ships, with Ajv (JSON Schema draft 4). */
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { EVENT_SCHEMA_FILES, eventDetailSchema } from '../lib/event-schemas';

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(detailType: string): ValidateFunction {
  let validate = validators.get(detailType);
  if (validate === undefined) {
    validate = ajv.compile(eventDetailSchema(detailType));
    validators.set(detailType, validate);
  }
  return validate;
}

/** The ways `detail` breaks the shipped schema of `detailType`; empty when it conforms. */
export function eventSchemaViolations(detailType: string, detail: unknown): string[] {
  if (EVENT_SCHEMA_FILES[detailType] === undefined)
    return [`no schema ships for detail-type ${JSON.stringify(detailType)}`];
  const validate = validatorFor(detailType);
  if (validate(detail)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(detail)'} ${error.message ?? 'is invalid'}`);
}
