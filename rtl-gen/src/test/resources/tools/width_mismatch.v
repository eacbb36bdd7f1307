// Line 8 assigns a 16-bit expression to an 8-bit output: Verilator reports WIDTH there.
module width_mismatch (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [7:0]  y
);
    // truncation below is the deliberate defect
    assign y = a & b;
endmodule
