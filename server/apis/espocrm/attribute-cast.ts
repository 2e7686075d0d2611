import { espoErrors } from './errors.ts';
import { entityDefs, fieldOfAttribute } from './metadata.ts';

/**
 * What EspoCRM does with a JSON value of the wrong type: it casts rather than refuses
 * (ORM/BaseEntity.php::prepareAttributeValue, EspoCRM 10.0), then validates the cast value.
 * Without this the reference server stored the raw value, answered 500 when its own response
 * validation met it, and kept answering 500 to every read of the record.
 *   - bool: true only for `true`, `1`, `'1'` and `'true'`; anything else is false (`"yes"` too);
 *   - varchar/text: strval (`5` → `"5"`, `true` → `"1"`, `false` → `""`), an object `"Object"`, an
 *     array `"Array"`;
 *   - foreign ids (`parentId`, `folderId`, …) are not cast but must match the id pattern
 *     (FieldValidators/LinkType.php, LinkParentType.php; preg_match reads a number as its digits),
 *     refused otherwise with 400 `validationFailure` (`pattern`);
 *   - date: must be `YYYY-MM-DD` (FieldValidators/DateType.php), else 400 `validationFailure` (`valid`).
 * The types come from the entity's fields (metadata.ts); file ids and id lists keep their own
 * rules (link-check.ts), and unknown attributes are dropped before this runs.
 */
type AttributeType = 'bool' | 'string' | 'foreignId' | 'date';

/** The ORM type of an input attribute, from its field's type (metadata.ts). */
function attributeType(entityType: string, attribute: string): AttributeType | undefined {
  const field = fieldOfAttribute(entityType, attribute);
  const type = field ? entityDefs[entityType].fields[field].type : undefined;
  switch (type) {
    case 'bool':
      return 'bool';
    case 'varchar':
    case 'text':
    case 'enum':
    case 'wysiwyg':
      return 'string';
    case 'date':
      return 'date';
    case 'link':
      return 'foreignId';
    case 'linkParent':
      return attribute.endsWith('Id') ? 'foreignId' : 'string';
    default:
      // file/image ids, id lists and the rest have their own checks (link-check.ts, handlers).
      return undefined;
  }
}

/** app/regExpPatterns.json `id`. */
const idPattern = /^[A-Za-z0-9_=\-.]+$/;

/** Field name of a foreign id attribute, as validation failures name it (`folderId` → `folder`). */
function fieldOf(attribute: string): string {
  return attribute.replace(/Id$/, '');
}

export function castAttributes(entityType: string, input: Record<string, unknown>): Record<string, unknown> {
  const output: Record<string, unknown> = { ...input };
  for (const [name, value] of Object.entries(input)) {
    const type = attributeType(entityType, name);
    if (!type || value === null || value === undefined) continue;
    if (type === 'bool') output[name] = value === true || value === 1 || value === '1' || value === 'true';
    else if (type === 'string') output[name] = phpStrval(value);
    else if (type === 'foreignId') {
      if ((typeof value !== 'string' && typeof value !== 'number') || !idPattern.test(String(value))) throw espoErrors.validationFailure(entityType, fieldOf(name), 'pattern');
      output[name] = String(value);
    } else if (type === 'date' && !(typeof value === 'string' && isDate(value))) throw espoErrors.validationFailure(entityType, name, 'valid');
  }
  return output;
}

/** PHP's strval as the ORM applies it to text attributes. */
export function phpStrval(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return '1';
  if (value === false) return '';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return 'Object';
  return String(value);
}

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}
