// Sieve co-simulation reference block: an 8-bit multiply-accumulate unit.
// acc is registered (cleared by rst, adds a*b when en); sum is a combinational a + b.
module mac8 (
    input  wire        clk,
    input  wire        rst,
    input  wire        en,
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    output reg  [23:0] acc,
    output wire [8:0]  sum
);
    assign sum = {1'b0, a} + {1'b0, b};

    always @(posedge clk) begin
        if (rst) begin
            acc <= 24'd0;
        end else if (en) begin
            acc <= acc + ({16'd0, a} * {16'd0, b});
        end
    end
endmodule
