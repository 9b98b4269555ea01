// The part of frictionlessdata's datapackage-js the tests use (the package ships no types).
declare module 'datapackage' {
  export class Package {
    static load(descriptor: string | object, options?: { basePath?: string; strict?: boolean }): Promise<Package>;
    readonly valid: boolean;
    readonly errors: Error[];
    readonly resources: Resource[];
  }
  export class Resource {
    readonly name: string;
    read(options?: { relations?: boolean; cast?: boolean; keyed?: boolean }): Promise<unknown[]>;
  }
}
