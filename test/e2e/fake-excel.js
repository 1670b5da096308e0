// A stand-in for Excel in a plain browser: the Office.js calls the task pane
// makes (tables by name, header and body ranges, values, fills, sync), over an
// in-memory workbook the test reads back from window.__workbook.
(() => {
  const workbook = (window.__workbook = window.__workbook || { tables: {} });
  const syncs = (window.__syncs = { count: 0 });
  function table(name) {
    const t = workbook.tables[name];
    if (!t) throw new Error(`ItemNotFound: no table ${name}`);
    return t;
  }
  function bodyRange(t) {
    return {
      values: null,
      load() {
        this.values = t.rows.map((r) => [...r]);
        return this;
      },
      clear() {
        t.rows = t.rows.map((r) => r.map(() => ''));
      },
      delete() {
        t.rows = [];
      },
      getCell(row) {
        return {
          getResizedRange(rows) {
            return {
              set values(values) {
                values.forEach((v, i) => (t.rows[row + i] = [...v]));
              },
              format: {
                fill: {
                  set color(color) {
                    (t.fills ||= {})[row] = color;
                  },
                  clear() {
                    (t.fills ||= {})[row] = null;
                  },
                },
              },
            };
          },
        };
      },
    };
  }
  // Worksheets, for the invoice sheet: every range written is recorded under its address.
  workbook.sheets ||= {};
  function worksheet(name) {
    const sheet = workbook.sheets[name];
    const range = (address) => {
      const record = (sheet.ranges[address] ||= {});
      return {
        set values(values) { record.values = values.map((r) => [...r]); },
        set numberFormat(format) { record.numberFormat = format; },
        format: {
          font: { set bold(v) { record.bold = v; }, set size(v) { record.size = v; } },
          fill: { set color(v) { record.fill = v; } },
          autofitColumns() { record.autofit = true; },
        },
      };
    };
    return { getRange: range, activate() { workbook.activeSheet = name; }, delete() { delete workbook.sheets[name]; } };
  }
  const worksheets = {
    getItemOrNullObject(name) {
      return workbook.sheets[name] ? { isNullObject: false, delete: () => delete workbook.sheets[name] } : { isNullObject: true };
    },
    add(name) {
      if (workbook.sheets[name]) throw new Error(`ItemAlreadyExists: ${name}`);
      workbook.sheets[name] = { ranges: {} };
      return worksheet(name);
    },
  };
  const context = {
    workbook: {
      worksheets,
      tables: {
        getItem(name) {
          const t = table(name);
          return {
            getHeaderRowRange: () => ({ values: [t.header], load() { return this; } }),
            getDataBodyRange: () => bodyRange(t),
            rows: {
              count: t.rows.length,
              load() { this.count = t.rows.length; return this; },
              add(_index, values) { t.rows.push(...values.map((v) => [...v])); },
            },
          };
        },
      },
    },
    async sync() {
      syncs.count++;
    },
  };
  window.Excel = { run: async (work) => work(context), SheetVisibility: { hidden: 'Hidden' } };
  window.Office = { onReady: (callback) => callback({ host: 'Excel' }) };
})();
