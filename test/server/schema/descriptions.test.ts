// Every type, field, argument, input field and enum value of the public schema says what it is.
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../../server/src/app';

/** Every schema element without a description, as Type, Type.field, Type.field(arg) or Enum.VALUE. */
export function undescribed(sdl: string): string[] {
  const schema = buildSchema(sdl);
  const missing: string[] = [];
  const blank = (text: string | null | undefined) => !text?.trim();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const root = type === schema.getQueryType() || type === schema.getMutationType();
    if (!root && blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe('schema descriptions', () => {
  it('finds an element without a description', () => {
    expect(undescribed(`"Q" type Query { "a" a(x: Int): Int b: E } "E" enum E { "one" ONE TWO }`)).toEqual(['Query.a(x)', 'Query.b', 'E.TWO']);
  });

  it('describes every type, field, argument, input field and enum value of the schema', () => {
    expect(undescribed(loadTypeDefs().join('\n'))).toEqual([]);
  });
});
