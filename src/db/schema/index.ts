export * from './core';
export * from './cases';
export * from './giving';
export * from './reports';
export * from './inkind';
export * from './packages';
