export * from './core';
export * from './cases';
export * from './giving';
export * from './packages';
