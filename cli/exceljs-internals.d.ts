// exceljs's own classes the .xlsx adapter reaches into (the package declares only its public API).
declare module 'exceljs/lib/xlsx/xform/sheet/data-validations-xform.js' {
  const DataValidationsXform: unknown;
  export default DataValidationsXform;
}
