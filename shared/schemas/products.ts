import * as v from 'valibot';
import { baseNoOrg, nonEmpty } from './common';

/** The operator's catalog; read-only for every client. */
export const productSchema = v.object({ ...baseNoOrg, code: nonEmpty(40), name: nonEmpty(200) });
export type Product = v.InferOutput<typeof productSchema>;
