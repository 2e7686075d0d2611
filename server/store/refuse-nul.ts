import { OperationNodeTransformer, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type PrimitiveValueListNode, type QueryResult, type RootOperationNode, type UnknownRow, type ValueNode } from 'kysely';

/** A text value the store cannot keep: PostgreSQL's text type has no NUL character. */
export class UnstorableTextError extends Error {
  constructor() {
    super('Text values cannot contain the NUL character (U+0000).');
  }
}

function check(value: unknown): void {
  if (typeof value === 'string' && value.includes('\u0000')) throw new UnstorableTextError();
}

class NulCheck extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    check(node.value);
    return super.transformValue(node);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    node.values.forEach(check);
    return super.transformPrimitiveValueList(node);
  }
}

/**
 * Refuses a NUL character in any text a query would store or compare, on every engine:
 * PostgreSQL rejects it (a 500 there), SQLite would keep it, and one deployment must not answer
 * differently depending on its store. The API answers its dialect's 400 instead.
 */
export const refuseNul: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return new NulCheck().transformNode(args.node);
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  },
};
