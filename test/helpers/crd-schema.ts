import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/**
 * The API server prunes fields a structural CRD schema does not declare, so a
 * misspelt field would vanish silently at apply time. Declaring every object
 * closed turns that into a test failure instead.
 */
function closed(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: any = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  return copy;
}

/**
 * A model class, shaped like the kubernetes-models ones, for a CRD whose
 * published openAPIV3Schema is vendored in test/fixtures/crds (the file's
 * $comment says where it comes from).
 */
export function crdModel(file: string): new (data: any) => { validate(): void } {
  const { $comment, ...schema } = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'crds', file), 'utf8'));
  const validate = ajv.compile(closed(schema));
  return class {
    constructor(private readonly data: any) {}
    validate(): void {
      if (!validate(this.data)) {
        throw new Error(ajv.errorsText(validate.errors, { dataVar: '' }));
      }
    }
  };
}
