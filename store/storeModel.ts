import mongoose, { type Model, type Schema } from 'mongoose';

/**
 * The model named `name`, declared once per process: a module that jest's
 * module registry loads again (or two entry points importing one store)
 * finds the model already declared, and declaring it twice would throw.
 */
export function storeModel<T>(name: string, schema: Schema<T>): Model<T> {
  return (mongoose.models[name] as Model<T> | undefined) ?? mongoose.model<T>(name, schema);
}
